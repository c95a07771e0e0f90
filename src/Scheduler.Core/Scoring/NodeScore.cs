namespace Scheduler.Core.Scoring;

/// <summary>A node's score for a pod, with its reason.</summary>
/// <param name="Host">The node name.</param>
/// <param name="Score">0..10, cleanest 10.</param>
/// <param name="Reason">The figures behind the score.</param>
public readonly record struct NodeScore(string Host, int Score, ScoreReason Reason);

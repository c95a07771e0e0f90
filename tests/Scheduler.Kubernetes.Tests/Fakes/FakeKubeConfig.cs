namespace Scheduler.Kubernetes.Tests.Fakes;

/// <summary>A kubeconfig that points a real client (or a service process) at the fake API server, with a bearer token.</summary>
internal static class FakeKubeConfig
{
    /// <summary>The kubeconfig text for <paramref name="server"/>, whose current context defaults to <paramref name="defaultNamespace"/>.</summary>
    public static string For(string server, string defaultNamespace) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {server}
        users:
        - name: test
          user:
            token: test-token
        contexts:
        - name: fake
          context:
            cluster: fake
            user: test
            namespace: {defaultNamespace}
        current-context: fake
        """;
}

// Each test class starts the real service with a PostgreSQL, a Prometheus and fake APIs, and measures latency in
// wall-clock time: one at a time, so that two classes do not share two cores and skew each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

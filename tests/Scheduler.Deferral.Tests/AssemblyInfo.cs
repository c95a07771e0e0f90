// The tests measure release times in wall-clock seconds against service processes they start: run one at a time,
// so that two scenarios (each with one or two services and a PostgreSQL) do not share two cores and skew each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

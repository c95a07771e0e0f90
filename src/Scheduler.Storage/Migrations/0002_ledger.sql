-- 0002: the carbon ledger (Scheduler.Storage.Ledger.PostgresLedger): what the scheduler did with each Job, what it
-- cost, and the intensities and scoring decisions that reports are computed from.
--
-- Conventions: times are timestamptz (UTC, microseconds); intensities gCO2eq/kWh; energy joules; emissions grams.
-- Keys that reads order by (uid, zone) use the "C" collation, so the order is the same byte order on every server
-- whatever its locale, and the same as the in-memory ledger's ordinal order.
-- There are no foreign keys between the tables on purpose: writes come from several replicas and retries in any
-- order (a plan or a run may arrive before the Job's submission), and each must succeed on its own.
-- Unlike 0001 nothing here is adopted with IF NOT EXISTS: a table of the same name made elsewhere has an unknown
-- shape, and the migration should fail (and roll back) on it rather than leave the ledger on top of it.

-- One row per Job (or bare Pod), keyed by its uid; the completion columns stay NULL until it completed,
-- failed or was deleted.
CREATE TABLE ledger_jobs (
    uid TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    team TEXT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    deadline TIMESTAMPTZ NULL,
    expected_duration_seconds DOUBLE PRECISION NOT NULL,
    candidate_zones TEXT[] NOT NULL,
    deferred BOOLEAN NOT NULL,
    completed_at TIMESTAMPTZ NULL,
    outcome TEXT NULL,
    cpu_joules DOUBLE PRECISION NULL,
    gpu_joules DOUBLE PRECISION NULL,
    energy_source TEXT NULL,
    holding_joules DOUBLE PRECISION NULL,
    holding_zone TEXT NULL,
    holding_from TIMESTAMPTZ NULL,
    holding_to TIMESTAMPTZ NULL,
    embodied_grams DOUBLE PRECISION NULL,
    CONSTRAINT ledger_jobs_outcome_with_completion CHECK ((completed_at IS NULL) = (outcome IS NULL)),
    CONSTRAINT ledger_jobs_energy_whole CHECK (
        (cpu_joules IS NULL) = (gpu_joules IS NULL) AND (cpu_joules IS NULL) = (energy_source IS NULL)),
    CONSTRAINT ledger_jobs_energy_source CHECK (energy_source IN ('measured', 'estimated')),
    CONSTRAINT ledger_jobs_holding_whole CHECK (
        (holding_joules IS NULL) = (holding_zone IS NULL)
        AND (holding_joules IS NULL) = (holding_from IS NULL)
        AND (holding_joules IS NULL) = (holding_to IS NULL))
);

-- Reports: the Jobs completed in a period; the Jobs submitted in a period (in the order entries are read);
-- one namespace (and a Job by namespace and name, the latest submitted first).
CREATE INDEX ledger_jobs_completed_at ON ledger_jobs (completed_at);
CREATE INDEX ledger_jobs_submitted_at ON ledger_jobs (submitted_at, uid);
CREATE INDEX ledger_jobs_namespace_name ON ledger_jobs (namespace, name, submitted_at);

-- Every plan the controller made for a Job; a re-plan adds a row.
CREATE TABLE ledger_plans (
    uid TEXT COLLATE "C" NOT NULL,
    planned_at TIMESTAMPTZ NOT NULL,
    planned_start TIMESTAMPTZ NOT NULL,
    zone TEXT NULL,
    latest_start TIMESTAMPTZ NOT NULL,
    expected_intensity DOUBLE PRECISION NULL,
    baseline_intensity DOUBLE PRECISION NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (uid, planned_at)
);

-- Every stretch a Job ran; ended_at is NULL while the run goes on. A Job has at most one open run.
CREATE TABLE ledger_runs (
    uid TEXT COLLATE "C" NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ NULL,
    zone TEXT NOT NULL,
    node TEXT NULL,
    PRIMARY KEY (uid, started_at),
    CONSTRAINT ledger_runs_ends_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)
);

CREATE UNIQUE INDEX ledger_runs_one_open ON ledger_runs (uid) WHERE ended_at IS NULL;

-- The actual intensity of a zone for the step that starts at "at"; a later value for the same step replaces it.
CREATE TABLE ledger_intensity_actuals (
    zone TEXT COLLATE "C" NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    grams_per_kwh DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (zone, at)
);

-- Every forecast issue: the value issued at issued_at for the step that starts at "at". The key serves "the
-- latest issue at or before a time" and that issue's steps; the second index serves "the latest issue at least
-- so long before each step".
CREATE TABLE ledger_intensity_forecasts (
    zone TEXT COLLATE "C" NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    grams_per_kwh DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (zone, issued_at, at)
);

CREATE INDEX ledger_intensity_forecasts_step ON ledger_intensity_forecasts (zone, at, issued_at);

-- Sampled node scoring decisions of the extender. A pod scored on a node at one instant is one decision, so a
-- retried write adds nothing; id keeps the order of decisions made at the same instant.
CREATE TABLE ledger_scoring_samples (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    namespace TEXT NOT NULL,
    pod TEXT NOT NULL,
    node TEXT NOT NULL,
    zone TEXT NULL,
    score INTEGER NOT NULL,
    grams DOUBLE PRECISION NULL,
    reason TEXT NOT NULL,
    CONSTRAINT ledger_scoring_samples_decision UNIQUE (at, namespace, pod, node)
);

-- 0003: how many nodes of each candidate zone could run a Job, in the order of candidate_zones, when the recorder
-- counted them (NULL otherwise, as for every row written before this version). It weighs the baseline of a Job the
-- extender only placed: what a scheduler blind to carbon would be expected to have given it.
ALTER TABLE ledger_jobs ADD COLUMN candidate_nodes INTEGER[] NULL;
ALTER TABLE ledger_jobs ADD CONSTRAINT ledger_jobs_candidate_nodes_match CHECK (
    candidate_nodes IS NULL OR cardinality(candidate_nodes) = cardinality(candidate_zones));

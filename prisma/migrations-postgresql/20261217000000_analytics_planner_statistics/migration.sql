-- The analytics catch-up asks "any attempt left to count?" with
-- "analyticsCounted" = 0 OR ("analyticsCounted" = 1 AND "status" = 'completed') (ADR 026).
-- The two columns go together: an attempt counted once (1) is almost always still in progress.
-- Planned from each column's statistics alone, the planner expects thousands of matches, reads
-- the whole table to find none (5-25 ms at 20,000 attempts, growing with the table) and does it
-- on every analytics view and every minute. With their joint distribution it takes the index.
CREATE STATISTICS "Attempt_analyticsCounted_status_stx" (mcv) ON "analyticsCounted", "status" FROM "Attempt";
-- Taken now, so a deployment upgraded with its attempts already counted plans with them at once.
ANALYZE "Attempt";

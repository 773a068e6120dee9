-- Registrar: regulator staff who read the QA report of CE hours (/registrar, npm run records:export).
-- Until roles are held per regulator, a registrar sees the report of their own User.regulator only
-- (app/models/qa-report.server.ts reportScope).
INSERT INTO "Role" ("id") VALUES ('registrar');

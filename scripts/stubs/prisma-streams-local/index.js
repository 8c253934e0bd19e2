// Only `prisma dev` (a local Prisma Postgres) loads this package; Catchment uses its own
// embedded Postgres and never runs it. The real package requires Node 22.
throw new Error("`prisma dev` is not available in Catchment (its @prisma/streams-local needs Node 22): npm start runs an embedded Postgres");

// Apply committed migrations to DATABASE_PATH (default data/weinuan.db).
import { closeDatabase, sqlite } from '~db/client.server'
import { applyMigrations } from '~db/migrate.server'

applyMigrations(sqlite)
closeDatabase()
console.log(`migrations applied to ${process.env.DATABASE_PATH ?? 'data/weinuan.db'}`)

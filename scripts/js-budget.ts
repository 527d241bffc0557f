// Measures the JavaScript each page downloads (gzipped), from the production build's Remix
// manifest: the client entry, the route chain from root to the page, and all their imports.
// Exits non-zero when a public page exceeds the budget (DEVELOPERS.md: ≤ 100 KB gzipped).
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const BUDGET_BYTES = 100 * 1024
const clientDir = path.resolve('build/client')
const assetsDir = path.join(clientDir, 'assets')
const manifestFile = fs.readdirSync(assetsDir).find((f) => /^manifest-.*\.js$/.test(f))
if (!manifestFile) {
  console.error('No Remix manifest in build/client/assets: run `npx remix vite:build` first.')
  process.exit(1)
}
type Entry = { module: string; imports?: string[] }
type Route = Entry & { id: string; parentId?: string; path?: string; index?: boolean }
const manifest = JSON.parse(
  fs
    .readFileSync(path.join(assetsDir, manifestFile), 'utf8')
    .replace(/^window\.__remixManifest=/, '')
    .replace(/;\s*$/, ''),
) as { entry: Entry; routes: Record<string, Route> }

const gzipSize = new Map<string, number>()
function sizeOf(asset: string): number {
  let size = gzipSize.get(asset)
  if (size === undefined) {
    size = zlib.gzipSync(fs.readFileSync(path.join(clientDir, asset)), { level: 9 }).length
    gzipSize.set(asset, size)
  }
  return size
}

// Staff and admin consoles are not public pages; they are listed but not held to the budget.
const isPublic = (id: string) => !/^routes\/(staff|admin)/.test(id)

const rows: Array<{ id: string; kb: number; public: boolean }> = []
for (const route of Object.values(manifest.routes)) {
  if (route.id === 'root') continue
  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])])
  for (let r: Route | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
    files.add(r.module)
    for (const i of r.imports ?? []) files.add(i)
  }
  const bytes = [...files].reduce((sum, f) => sum + sizeOf(f), 0)
  rows.push({ id: route.id, kb: bytes / 1024, public: isPublic(route.id) })
}
rows.sort((a, b) => b.kb - a.kb)
for (const r of rows) console.log(`${r.kb.toFixed(1).padStart(7)} KB  ${r.public ? 'public' : 'staff '}  ${r.id}`)
const over = rows.filter((r) => r.public && r.kb * 1024 > BUDGET_BYTES)
if (over.length) {
  console.error(`\n${over.length} public page(s) over the ${BUDGET_BYTES / 1024} KB gzipped JavaScript budget`)
  process.exit(1)
}
console.log(`\nevery public page is within ${BUDGET_BYTES / 1024} KB of gzipped JavaScript`)

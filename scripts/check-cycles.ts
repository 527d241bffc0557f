// Fails when the folders of app/ (wishes, needs, donations, components, …) and db/ import each
// other in a cycle: each may use folders below it, never one that uses it back (db/ is below all
// of app/). Type-only imports count too. Run by scripts/test: npx tsx scripts/check-cycles.ts
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const app = join(root, 'app')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

const importPattern = /(?:^|[\s;])(?:import|export)\s(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** "db", the app/ folder a file belongs to ("wishes"), or an app/ file at the top ("root.tsx"). */
function domainOf(path: string): string {
  return relative(root, path).startsWith(`db${sep}`) ? 'db' : relative(app, path).split(sep)[0]!
}

// domain → imported domain → one file-level import that proves the edge
const edges = new Map<string, Map<string, string>>()
for (const file of [...sourceFiles(app), ...sourceFiles(join(root, 'db'))]) {
  const from = domainOf(file)
  for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const spec = match[1] ?? match[2]!
    let target: string
    if (spec.startsWith('~/')) target = join(app, spec.slice(2))
    else if (spec.startsWith('~db/')) target = join(root, 'db', spec.slice(4))
    else if (spec.startsWith('.')) target = resolve(dirname(file), spec)
    else continue
    if (relative(app, target).startsWith('..') && domainOf(target) !== 'db') continue
    const to = domainOf(target)
    if (to === from) continue
    const out = edges.get(from) ?? edges.set(from, new Map()).get(from)!
    if (!out.has(to)) out.set(to, `${relative(root, file)} → ${spec}`)
  }
}

// Tarjan's strongly connected components: any component of two or more folders is a cycle.
const index = new Map<string, number>()
const low = new Map<string, number>()
const stack: string[] = []
const onStack = new Set<string>()
const cycles: string[][] = []
function visit(v: string) {
  index.set(v, index.size)
  low.set(v, index.get(v)!)
  stack.push(v)
  onStack.add(v)
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!index.has(w)) visit(w)
    if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!))
  }
  if (low.get(v) !== index.get(v)) return
  const component: string[] = []
  let w: string
  do {
    onStack.delete((w = stack.pop()!))
    component.push(w)
  } while (w !== v)
  if (component.length > 1) cycles.push(component.sort())
}
for (const v of edges.keys()) if (!index.has(v)) visit(v)

if (cycles.length === 0) {
  console.log(`no import cycles between db/ and the ${new Set(sourceFiles(app).map(domainOf)).size} folders of app/`)
} else {
  for (const component of cycles) {
    console.error(`✗ import cycle between app/ folders: ${component.join(', ')}`)
    for (const from of component)
      for (const [to, witness] of edges.get(from) ?? []) if (component.includes(to)) console.error(`    ${from} → ${to}: ${witness}`)
  }
  process.exit(1)
}

import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { statementCache } from '~db/client.server'

// db/client.server.ts statementCache: what drizzle prepares is compiled once and reused, safely.
describe('statementCache', () => {
  function connection() {
    const sqlite = new Database(':memory:')
    sqlite.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), ('c')")
    return sqlite
  }

  test('the same SQL gives the same compiled statement; other SQL another one', () => {
    const cache = statementCache(connection())
    const first = cache.prepare('SELECT name FROM t WHERE id = ?')
    expect(cache.prepare('SELECT name FROM t WHERE id = ?')).toBe(first)
    expect(cache.prepare('SELECT id FROM t WHERE name = ?')).not.toBe(first)
  })

  test('raw mode set by one user is off for the next', () => {
    const cache = statementCache(connection())
    const statement = cache.prepare('SELECT name FROM t WHERE id = ?')
    expect(statement.raw().get(1)).toEqual(['a'])
    expect(cache.prepare('SELECT name FROM t WHERE id = ?').get(1)).toEqual({ name: 'a' })
  })

  test('a statement still being iterated is not handed out again', () => {
    const cache = statementCache(connection())
    const source = 'SELECT name FROM t ORDER BY id'
    const names: string[] = []
    for (const row of cache.prepare(source).iterate() as IterableIterator<{ name: string }>) {
      // The same query inside the loop gets a statement of its own (reusing the busy one throws).
      names.push(row.name, (cache.prepare(source).all() as Array<{ name: string }>).length.toString())
    }
    expect(names).toEqual(['a', '3', 'b', '3', 'c', '3'])
  })

  test('bounded: the least recently used statement is dropped past the limit', () => {
    const cache = statementCache(connection(), 2)
    const a = cache.prepare('SELECT 1')
    const b = cache.prepare('SELECT 2')
    expect(cache.prepare('SELECT 1')).toBe(a) // now the most recent
    cache.prepare('SELECT 3') // drops SELECT 2
    expect(cache.prepare('SELECT 1')).toBe(a)
    expect(cache.prepare('SELECT 2')).not.toBe(b)
  })
})

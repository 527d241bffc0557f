import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { isTriggerRefusal, isUniqueViolation, TRIGGER_REFUSALS } from './db-errors.server'

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

const sqlite = new Database(':memory:')
sqlite.exec(`
  CREATE TABLE things (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT UNIQUE, size INTEGER);
  CREATE TRIGGER things_size BEFORE INSERT ON things WHEN NEW.size > 9 BEGIN SELECT RAISE(ABORT, '${TRIGGER_REFUSALS.slotCapacityExceeded}'); END;
  INSERT INTO things (code, name, size) VALUES ('A', 'a', 1);
`)
const insert = (code: string, name: string, size = 1) =>
  thrownBy(() => sqlite.prepare('INSERT INTO things (code, name, size) VALUES (?, ?, ?)').run(code, name, size))

describe('database errors', () => {
  test('a UNIQUE index refusal, on any column or the one asked about', () => {
    const error = insert('A', 'b')
    expect(isUniqueViolation(error)).toBe(true)
    expect(isUniqueViolation(error, 'things.code')).toBe(true)
    expect(isUniqueViolation(error, 'things.name')).toBe(false)
  })
  test('found when a query builder wraps the driver error in a cause', () => {
    const wrapped = new Error('Failed query', { cause: insert('B', 'a') })
    expect(isUniqueViolation(wrapped, 'things.name')).toBe(true)
  })
  test('a trigger refusal is told by its message, and is not a UNIQUE violation', () => {
    const error = new Error('Failed query', { cause: insert('C', 'c', 10) })
    expect(isTriggerRefusal(error, TRIGGER_REFUSALS.slotCapacityExceeded)).toBe(true)
    expect(isTriggerRefusal(error, TRIGGER_REFUSALS.slotCapacityBelowConfirmed)).toBe(false)
    expect(isUniqueViolation(error)).toBe(false)
  })
  test('anything else is neither, and a cause loop ends', () => {
    const loop: Error & { cause?: unknown } = new Error('loop')
    loop.cause = loop
    for (const e of [null, undefined, 'text', new Error('UNIQUE constraint failed: things.code'), loop]) {
      expect(isUniqueViolation(e)).toBe(false)
      expect(isTriggerRefusal(e, TRIGGER_REFUSALS.slotCapacityExceeded)).toBe(false)
    }
  })
})

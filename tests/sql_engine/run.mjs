// Runs SQL on DuckDB (npm's @duckdb/node-api) for tests/test_sql_engine.py.
// Usage: node run.mjs SPEC.json  where SPEC is {"setup": [sql, ...], "queries": {name: sql, ...}};
// prints {name: {"rows": [[...], ...]} or {"error": message}} as JSON on standard output.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
for (const sql of spec.setup) await con.run(sql);
const out = {};
for (const [name, sql] of Object.entries(spec.queries)) {
  try {
    const r = await con.runAndReadAll(sql);
    out[name] = { rows: r.getRowsJson() };
  } catch (e) {
    out[name] = { error: String(e.message) };
  }
}
process.stdout.write(JSON.stringify(out));

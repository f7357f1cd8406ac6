/**
 * The small T-SQL → SQLite translation the fake runs before handing a
 * statement to SQLite. It covers what hunts and drivers send in tests:
 *
 * - `SELECT TOP (n)` / `SELECT TOP n` (outermost SELECT only) → `LIMIT n`
 * - `[bracketed]` identifiers → `"quoted"`; `N'text'` → `'text'`
 * - `@param` stays (SQLite binds `@name` itself); `@@VERSION`, `@@SERVERNAME`, `@@SPID` → literals
 * - `GETUTCDATE()`, `SYSUTCDATETIME()`, `GETDATE()`, `SYSDATETIME()` → now as ISO 8601 UTC text
 * - `DATEADD(unit, n, date)` → SQLite date arithmetic, result as ISO 8601 UTC text
 * - `ISNULL` → `IFNULL`, `LEN` → `LENGTH`, `(max)` in type names dropped
 * - statements handled by the fake itself: `SET ...`, `WAITFOR DELAY 'hh:mm:ss'`,
 *   `THROW number, 'message', state`, `RAISERROR('message', severity, state)`
 *
 * Datetimes are compared as text, so seed them as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
 */

export type Statement =
  | { kind: 'query'; sql: string; original: string; line: number }
  | { kind: 'set'; line: number }
  | { kind: 'waitfor'; ms: number; line: number }
  | { kind: 'throw'; number: number; message: string; state: number; severity: number; line: number };

export interface TranslationContext {
  version: string;
  serverName: string;
  spid: number;
}

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const LITERAL = /\uE000(\d+)\uE000/g;

interface Masked {
  code: string;
  literals: string[];
}

/** Replaces string literals with placeholders, brackets with double quotes, and blanks out comments (keeping newlines). */
function mask(sql: string): Masked {
  const literals: string[] = [];
  let code = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || ((c === 'N' || c === 'n') && sql[i + 1] === "'" && !/[\w@#$]/.test(sql[i - 1] ?? ''))) {
      let j = c === "'" ? i + 1 : i + 2;
      let text = '';
      for (;;) {
        if (j >= sql.length) throw new SqlSyntaxError(`Unclosed quotation mark after the character string '${text}'.`, 105, sql.slice(0, i));
        if (sql[j] === "'" && sql[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (sql[j] === "'") break;
        else text += sql[j++];
      }
      code += `\uE000${literals.push(text) - 1}\uE000`;
      i = j + 1;
    } else if (c === '[') {
      const end = sql.indexOf(']', i);
      if (end < 0) throw new SqlSyntaxError(`Unclosed bracket near '${sql.slice(i, i + 20)}'.`, 102, sql.slice(0, i));
      code += `"${sql.slice(i + 1, end).replaceAll('"', '""')}"`;
      i = end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const comment = sql.slice(i, end < 0 ? sql.length : end + 2);
      code += comment.replace(/[^\n]/g, ' ');
      i += comment.length;
    } else {
      code += c;
      i++;
    }
  }
  return { code, literals };
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const unmask = (code: string, literals: string[]): string => code.replace(LITERAL, (_, n: string) => sqlString(literals[Number(n)]!));

/** A T-SQL syntax error the fake reports as SQL Server would (error 102 and friends), with the line it is on. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly number: number,
    readonly before: string,
  ) {
    super(message);
  }
}

/** Splits a batch into statements at top-level semicolons and translates each. */
export function translateBatch(batch: string, ctx: TranslationContext): Statement[] {
  const { code, literals } = mask(batch);
  const statements: Statement[] = [];
  let line = 1;
  for (const piece of code.split(';')) {
    const leading = /^\s*/.exec(piece)![0];
    const startLine = line + (leading.match(/\n/g)?.length ?? 0);
    line += piece.match(/\n/g)?.length ?? 0;
    const text = piece.trim();
    if (text) statements.push(translateStatement(text, literals, ctx, startLine));
  }
  return statements;
}

function translateStatement(code: string, literals: string[], ctx: TranslationContext, line: number): Statement {
  const literal = (m: string): string => literals[Number(/\d+/.exec(m)![0])]!;
  if (/^set\s+\w+/i.test(code)) return { kind: 'set', line };
  let m = /^waitfor\s+delay\s+(\uE000\d+\uE000)$/i.exec(code);
  if (m) {
    const parts = literal(m[1]!).split(':').map(Number);
    const [h = 0, mi = 0, s = 0] = parts.length === 3 ? parts : [0, parts[0] ?? 0, parts[1] ?? 0];
    return { kind: 'waitfor', ms: ((h * 60 + mi) * 60 + s) * 1000, line };
  }
  m = /^throw\s+(\d+)\s*,\s*(\uE000\d+\uE000)\s*,\s*(\d+)$/i.exec(code);
  if (m) return { kind: 'throw', number: Number(m[1]), message: literal(m[2]!), state: Number(m[3]), severity: 16, line };
  m = /^raiserror\s*\(\s*(\uE000\d+\uE000)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(code);
  if (m) return { kind: 'throw', number: 50000, message: literal(m[1]!), state: Number(m[3]), severity: Number(m[2]), line };

  let sql = code
    .replace(/@@version\b/gi, () => `\uE000${literals.push(ctx.version) - 1}\uE000`)
    .replace(/@@servername\b/gi, () => `\uE000${literals.push(ctx.serverName) - 1}\uE000`)
    .replace(/@@spid\b/gi, String(ctx.spid))
    .replace(/\b(?:getutcdate|sysutcdatetime|getdate|sysdatetime)\s*\(\s*\)/gi, NOW)
    .replace(/\bisnull\s*\(/gi, 'IFNULL(')
    .replace(/\blen\s*\(/gi, 'LENGTH(')
    .replace(/\(\s*max\s*\)/gi, '');
  sql = translateDateAdd(sql);
  const top = /^(select(?:\s+distinct)?)\s+top\s*(?:\(([^()]*)\)|(\d+))/i.exec(sql);
  if (top) sql = `${top[1]}${sql.slice(top[0].length)} LIMIT ${(top[2] ?? top[3])!.trim()}`;
  return { kind: 'query', sql: unmask(sql, literals), original: unmask(code, literals), line };
}

const dateUnits: Record<string, [string, number]> = {
  year: ['years', 1], yy: ['years', 1], yyyy: ['years', 1],
  quarter: ['months', 3], qq: ['months', 3], q: ['months', 3],
  month: ['months', 1], mm: ['months', 1], m: ['months', 1],
  week: ['days', 7], wk: ['days', 7], ww: ['days', 7],
  day: ['days', 1], dd: ['days', 1], d: ['days', 1],
  hour: ['hours', 1], hh: ['hours', 1],
  minute: ['minutes', 1], mi: ['minutes', 1], n: ['minutes', 1],
  second: ['seconds', 1], ss: ['seconds', 1], s: ['seconds', 1],
};

/** DATEADD(unit, n, date) → strftime(..., date, (n) || ' unit'), innermost first so nesting works. */
function translateDateAdd(sql: string): string {
  for (;;) {
    const re = /\bdateadd\s*\(/gi;
    let start = -1;
    for (let m = re.exec(sql); m; m = re.exec(sql)) start = m.index; // the last one is innermost or a sibling
    if (start < 0) return sql;
    const open = sql.indexOf('(', start);
    const args: string[] = [];
    let depth = 0;
    let from = open + 1;
    let end = -1;
    for (let i = open; i < sql.length && end < 0; i++) {
      if (sql[i] === '(') depth++;
      else if (sql[i] === ')' && --depth === 0) end = i;
      else if (sql[i] === ',' && depth === 1) {
        args.push(sql.slice(from, i).trim());
        from = i + 1;
      }
    }
    if (end < 0) throw new SqlSyntaxError("Incorrect syntax near 'DATEADD'.", 102, sql.slice(0, start));
    args.push(sql.slice(from, end).trim());
    const unit = dateUnits[(args[0] ?? '').toLowerCase()];
    if (args.length !== 3 || !unit) throw new SqlSyntaxError(`Invalid parameter 1 specified for dateadd.`, 9810, sql.slice(0, start));
    const amount = unit[1] === 1 ? `(${args[1]})` : `((${args[1]}) * ${unit[1]})`;
    sql = `${sql.slice(0, start)}strftime('%Y-%m-%dT%H:%M:%fZ', ${args[2]}, ${amount} || ' ${unit[0]}')${sql.slice(end + 1)}`;
  }
}

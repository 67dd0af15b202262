/**
 * SQL that builds an answer of the api straight from a table, written against the answer's type in
 * libs/contract: an SQL expression per property, so that a property the contract adds, drops or
 * renames fails tsc where the SQL is written (a query's rows are otherwise untyped).
 */

/** `json_build_object('name', expression, …)`: one JSON object per row. */
export function jsonObjectSql<P>(columns: { [K in keyof P]-?: string }): string {
  const pairs = Object.entries(columns as Record<string, string>).map(([name, expression]) => `'${name}', ${expression}`);
  return `json_build_object(${pairs.join(', ')})`;
}

/** `expression AS "name", …`: the select list of a row of that shape. */
export function selectListSql<P>(columns: { [K in keyof P]-?: string }): string {
  return Object.entries(columns as Record<string, string>)
    .map(([name, expression]) => `${expression} AS "${name}"`)
    .join(', ');
}

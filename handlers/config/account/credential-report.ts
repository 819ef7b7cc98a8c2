// IAM's credential report is a CSV document (GetCredentialReport.Content); the account item holds
// it parsed: one object per row, keyed by the report's own column names (`user`, `arn`,
// `password_enabled`, `mfa_active`, `access_key_1_active`, `access_key_1_last_rotated`...), every
// value the string the report gives (`true`, `N/A`, `no_information`, an ISO 8601 time).
// RFC 4180 quoting is honoured: IAM user names may contain commas.

/** The rows of a CSV text, each a list of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** The report's rows as objects keyed by its header. */
export function parseCredentialReport(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) return [];
  return rows.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ""])));
}

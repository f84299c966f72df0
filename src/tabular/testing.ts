/** Values a hostile clerk or department could type into a cell a product file later holds. */
export const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  '+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
] as const;

/** What a hostile value must look like once written (XML reads a CR back as a LF). */
export const neutralised = (v: string, xml = false): string =>
  `'${xml ? v.replace(/\r/g, '\n') : v}`;

// TeX rendered by KaTeX; a formula that fails to parse is shown as its source rather than breaking the page.
import katex from 'katex';
import { useMemo } from 'react';

export function Formula({ tex, display = false }: { tex: string; display?: boolean }) {
  const html = useMemo(() => {
    try {
      return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'html' });
    } catch {
      return null;
    }
  }, [tex, display]);
  if (html === null) return <code>{tex}</code>;
  return <span className="formula" dangerouslySetInnerHTML={{ __html: html }} />;
}

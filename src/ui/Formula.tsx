// TeX rendered by KaTeX; a formula that fails to parse is shown as its source rather than breaking the page.
// katex.render builds DOM nodes and sets their styles through the CSSOM, which the page's Content Security
// Policy allows; renderToString + innerHTML would need style attributes, which it blocks (style-src 'self').
import katex from 'katex';
import { useLayoutEffect, useRef } from 'react';

export function Formula({ tex, display = false }: { tex: string; display?: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    try {
      katex.render(tex, el, { displayMode: display, throwOnError: true, output: 'html' });
    } catch {
      const code = document.createElement('code');
      code.textContent = tex;
      el.replaceChildren(code);
    }
  }, [tex, display]);
  return <span className="formula" ref={ref} />;
}

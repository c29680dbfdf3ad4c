// Messages for the user, newest last; each can be dismissed and may offer one action.
import { useNotices } from '../state/notices';

export function Notices() {
  const notices = useNotices((s) => s.notices);
  const dismiss = useNotices((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'note'} data-topic={n.topic}>
          <div className="notice-body">
            <strong>{n.title}</strong>
            {n.lines.length > 0 && <ul>{n.lines.map((l, i) => <li key={i}>{l}</li>)}</ul>}
          </div>
          {n.action && <button type="button" onClick={() => { n.action!.run(); dismiss(n.id); }}>{n.action.label}</button>}
          <button type="button" className="close" aria-label="Dismiss notice" onClick={() => dismiss(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}

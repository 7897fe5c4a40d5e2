import { useState } from 'preact/hooks';

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (permissions, focus): try the fallback.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let done = false;
  try {
    done = document.execCommand('copy');
  } catch {
    done = false;
  }
  area.remove();
  return done;
}

/** Copies `text`; the outcome is announced in its own polite live region. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [status, setStatus] = useState('');
  const copy = async () => {
    const ok = await copyText(text);
    setStatus(ok ? 'Copied' : 'Copy failed: select the text and copy it');
    setTimeout(() => setStatus(''), 2500);
  };
  return (
    <span class="copy">
      <button type="button" class="small" onClick={copy}>
        Copy<span class="visually-hidden"> {what}</span>
      </button>
      <span role="status" class="copy-status">
        {status}
      </span>
    </span>
  );
}

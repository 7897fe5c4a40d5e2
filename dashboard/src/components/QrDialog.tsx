import { useEffect, useState } from 'preact/hooks';
import { ApiError, blob, links, type Link } from '../api';
import { errorText } from '../screens/SignIn';
import { save } from './common';
import { Dialog } from './Dialog';
import { describe, Field, FormError } from './Field';
import { toast } from './Toasts';

const OPTION_FIELDS = ['format', 'size', 'margin', 'error_correction', 'foreground', 'background'];

/** QR code of a link (GET /links/:id/qr): a live preview and PNG/SVG downloads. */
export function QrDialog({ link, onClose }: { link: Link; onClose: () => void }) {
  const [format, setFormat] = useState<'png' | 'svg'>('png');
  const [size, setSize] = useState('512');
  const [margin, setMargin] = useState('4');
  const [level, setLevel] = useState('M');
  const [foreground, setForeground] = useState('#000000');
  const [background, setBackground] = useState('#ffffff');
  const [preview, setPreview] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const options = (overrides: Record<string, string> = {}) => ({
    format,
    size,
    margin,
    error_correction: level,
    // A raw # would start the URL's fragment; the API takes the colour without it.
    foreground: foreground.replace('#', ''),
    background: background.replace('#', ''),
    ...overrides,
  });

  const showError = (error: unknown) => {
    if (error instanceof ApiError && error.details.length) setErrors(error.fieldErrors(OPTION_FIELDS));
    else setErrors({ '': errorText(error) });
  };

  // Preview: a small SVG with the same colours, margin and correction level, refreshed shortly after each change.
  useEffect(() => {
    const controller = new AbortController();
    let url = '';
    const timer = setTimeout(() => {
      blob(links.qrPath(link.id), options({ format: 'svg', size: '256' }), controller.signal).then(
        (image) => {
          url = URL.createObjectURL(image);
          setPreview(url);
          setErrors({});
        },
        (error) => {
          if (!controller.signal.aborted) showError(error);
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [link.id, margin, level, foreground, background]);

  const download = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const name = `${link.slug}-qr.${format}`;
      save(await blob(links.qrPath(link.id), options()), name);
      toast(`Downloaded ${name}`);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`QR code for ${link.short_url.replace(/^https?:\/\//, '')}`} onClose={onClose} wide>
      <form class="qr" onSubmit={download} noValidate>
        <div class="qr-preview" style={{ background }}>
          {preview ? <img src={preview} width={256} height={256} alt={`QR code that opens ${link.short_url}`} /> : <span class="muted">Loading preview…</span>}
        </div>
        <div class="qr-options">
          <FormError message={errors['']} />
          <div class="grid-2">
            <Field id="qr-format" label="Format" error={errors.format}>
              <select {...describe('qr-format', errors.format)} value={format} onChange={(e) => setFormat(e.currentTarget.value as 'png' | 'svg')}>
                <option value="png">PNG</option>
                <option value="svg">SVG</option>
              </select>
            </Field>
            <Field id="qr-size" label="Size (px)" error={errors.size} hint="128–2048">
              <input {...describe('qr-size', errors.size, '128–2048')} type="number" min={128} max={2048} step={1} value={size} onInput={(e) => setSize(e.currentTarget.value)} />
            </Field>
            <Field id="qr-margin" label="Margin (modules)" error={errors.margin}>
              <input {...describe('qr-margin', errors.margin)} type="number" min={0} max={16} step={1} value={margin} onInput={(e) => setMargin(e.currentTarget.value)} />
            </Field>
            <Field id="qr-level" label="Error correction" error={errors.error_correction}>
              <select {...describe('qr-level', errors.error_correction)} value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
                <option value="L">L (7%)</option>
                <option value="M">M (15%)</option>
                <option value="Q">Q (25%)</option>
                <option value="H">H (30%)</option>
              </select>
            </Field>
            <Field id="qr-foreground" label="Foreground" error={errors.foreground}>
              <input {...describe('qr-foreground', errors.foreground)} type="color" value={foreground} onInput={(e) => setForeground(e.currentTarget.value)} />
            </Field>
            <Field id="qr-background" label="Background" error={errors.background}>
              <input {...describe('qr-background', errors.background)} type="color" value={background} onInput={(e) => setBackground(e.currentTarget.value)} />
            </Field>
          </div>
          <div class="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Preparing…' : `Download ${format.toUpperCase()}`}
            </button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}

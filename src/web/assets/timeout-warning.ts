/**
 * GOV.UK's timeout warning: the server signs a person out after a spell without requests (so it holds without
 * JavaScript); with JavaScript, a modal dialog says so shortly before and offers to stay signed in. The dialog is
 * in the page already, holding two ordinary forms (stay signed in, sign out) that work without this script.
 */
export function startTimeoutWarning(document: Document): void {
  const dialog = document.querySelector<HTMLDialogElement>('dialog[data-idle-seconds]');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  const idleSeconds = Number(dialog.dataset.idleSeconds);
  const warnSeconds = Math.min(Number(dialog.dataset.warnSeconds), idleSeconds);
  const countdown = dialog.querySelector<HTMLElement>('[data-countdown]');
  const announcement = dialog.querySelector<HTMLElement>('[data-announcement]');
  const stay = dialog.querySelector<HTMLFormElement>('form[data-stay]');
  const signOut = dialog.querySelector<HTMLFormElement>('form[data-sign-out]');
  if (!countdown || !announcement || !stay || !signOut) return;

  let deadline = 0;
  let warnTimer = 0;
  let tick = 0;

  const remaining = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  const inWords = (seconds: number) =>
    seconds >= 60
      ? `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}`
      : `${seconds} second${seconds === 1 ? '' : 's'}`;

  const schedule = () => {
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    deadline = Date.now() + idleSeconds * 1000;
    warnTimer = window.setTimeout(warn, (idleSeconds - warnSeconds) * 1000);
  };

  const warn = () => {
    countdown.textContent = inWords(remaining());
    // Said once by screen readers; the visible countdown changes every second and is not announced.
    announcement.textContent = `We will sign you out in ${inWords(remaining())}.`;
    dialog.showModal();
    tick = window.setInterval(() => {
      const left = remaining();
      countdown.textContent = inWords(left);
      if (left === 0) {
        window.clearInterval(tick);
        signOut.submit();
      }
    }, 1000);
  };

  stay.addEventListener('submit', (event) => {
    event.preventDefault();
    fetch(stay.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(stay) as unknown as Record<string, string>),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    }).then(
      (response) => {
        if (!response.ok) return stay.submit();
        dialog.close();
        schedule();
      },
      () => stay.submit(),
    );
  });
  // Escape closes a modal dialog; closing it is not staying signed in, so the countdown goes on unseen.
  dialog.addEventListener('cancel', (event) => event.preventDefault());
  schedule();
}

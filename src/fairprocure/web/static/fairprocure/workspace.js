// The workspace's only script besides htmx (the Content-Security-Policy allows no inline script):
// a <select data-autosubmit> submits its form when changed; without JavaScript a button does it.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.requestSubmit();
});

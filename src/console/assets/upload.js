/* global document, fetch, DOMParser, URLSearchParams, setTimeout */
// The new-batch page: sends the chosen file's bytes to the preview (application/octet-stream,
// settings in the query string, the session's CSRF token in X-CSRF-Token), shows the preview,
// and after "Create" polls the progress fragment until every batch is created. A script file,
// not inline: the console's CSP allows only scripts from 'self'.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var preview = document.getElementById('preview');
  if (!form || !preview) return;
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var maxBytes = Number(form.getAttribute('data-max-bytes')) || 10 * 1024 * 1024;

  function show(markup) {
    // The server's fragment: rendered by the console's escaping templates.
    preview.innerHTML = markup;
  }
  function notice(text) {
    var p = document.createElement('p');
    p.className = 'message message-error';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    preview.replaceChildren(p);
  }
  // The answer of a preview or a submission: the server's fragment; or a refusal, shown in words:
  // a whole page instead of a fragment (the sign-in page after the session ended, the 403 page of
  // a stale CSRF token or a role taken away) or an RFC 9457 problem, never raw JSON or a page in a page.
  function answer(res) {
    var type = res.headers.get('content-type') || '';
    if (type.indexOf('json') !== -1) {
      return res.json().then(
        function (problem) {
          notice((problem && (problem.detail || problem.title)) || 'The request was refused (' + res.status + ').');
        },
        function () {
          notice('The request was refused (' + res.status + ').');
        },
      );
    }
    return res.text().then(function (markup) {
      if (!/^\s*<!doctype/i.test(markup)) return show(markup);
      if (/\/console\/sign-in/.test(res.url)) return notice('Your session has ended: sign in again (batches already created stay in Batches).');
      var page = new DOMParser().parseFromString(markup, 'text/html');
      var title = page.querySelector('main h1');
      var reason = page.querySelector('main p');
      notice(
        (title ? title.textContent + ': ' : '') +
          (reason ? reason.textContent : 'the request was refused (' + res.status + '). Reload the page and try again.'),
      );
    });
  }
  function post(url, body, type) {
    var headers = { 'x-csrf-token': token };
    if (type) headers['content-type'] = type;
    return fetch(url, { method: 'POST', body: body, headers: headers, credentials: 'same-origin' });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = form.elements.file.files[0];
    if (!file) return notice('Choose a file.');
    if (file.size > maxBytes) return notice(file.name + ' is larger than 10 MB: split it into several files.');
    var q = new URLSearchParams({
      account: form.elements.account.value,
      type: form.elements.type.value,
      currency: form.elements.currency.value,
      date: form.elements.date.value,
      purpose: form.elements.purpose.value,
      name: file.name,
    });
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    preview.textContent = 'Checking ' + file.name + '…';
    post('/console/batches/new/preview?' + q.toString(), file, 'application/octet-stream')
      .then(function (res) {
        if (res.status === 413) return notice(file.name + ' is larger than 10 MB: split it into several files.');
        return answer(res);
      })
      .catch(function () {
        notice('The file could not be sent; check the connection and try again.');
      })
      .finally(function () {
        button.disabled = false;
      });
  });

  // "Create": delegated, since the submit form arrives with the preview.
  preview.addEventListener('submit', function (event) {
    var submit = event.target;
    if (submit.id !== 'submit-form') return;
    event.preventDefault();
    submit.querySelector('button').disabled = true;
    var id = submit.getAttribute('data-upload');
    post(submit.action, null)
      .then(answer)
      .then(function () {
        poll(id);
      })
      .catch(function () {
        notice('The batches could not be submitted; check the connection and try again.');
      });
  });

  function poll(id) {
    var progress = document.getElementById('progress');
    if (!progress || progress.getAttribute('data-state') !== 'creating') return;
    setTimeout(function () {
      fetch('/console/batches/new/' + encodeURIComponent(id) + '/progress', { credentials: 'same-origin' })
        .then(answer)
        .then(function () {
          // After a refusal (the session ended) there is no #progress any more: polling stops.
          poll(id);
        })
        .catch(function () {
          setTimeout(function () {
            poll(id);
          }, 2000);
        });
    }, 300);
  }
})();

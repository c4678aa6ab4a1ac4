# The HTTP cache in front of the newsroom: Varnish 7 with vmod xkey (Debian's `varnish` and
# `varnish-modules`). docs/caching.md says what it keeps and how the site purges it.
#
# What it keeps is what the site says a shared cache may keep: answers marked `public`,
# for their `s-maxage`, then served stale for `stale-while-revalidate` while one fetch
# refreshes them, and for `stale-if-error` while the site is down. Anything with a cookie or
# an Authorization header, and anything but GET and HEAD, goes straight to the site. A page
# is purged by the tags of its `xkey` header: `PURGE /` with `xkey-purge: <keys>`, from the
# addresses of the `purgers` ACL only.
vcl 4.1;

import std;
import xkey;

# gunicorn, as `make up` binds it (WEB_BIND); the tests write their own port here.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    # A page that touches no database nor broker: the probe asks whether gunicorn answers.
    # While it does not, cached pages are served past their grace (stale-if-error).
    .probe = {
        .url = "/robots.txt";
        .interval = 2s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Who may purge: the site's workers on this machine. Add the workers' addresses when they
# run elsewhere.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "A purge names its keys in an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # Only the site's own restart (vcl_hit) may ask for a fresh copy.
    if (req.restarts == 0) {
        unset req.http.X-Fresh-Only;
    } elsif (req.http.X-Fresh-Only) {
        set req.grace = 0s;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # An editor's session, a contributor's tracking cookie, a CSRF cookie, an API key: the
    # site answers that person, never the cache.
    if (req.http.Cookie || req.http.Authorization) {
        return (pass);
    }
    # An article URL answers citation formats by Accept (Vary: Accept): those go to the
    # site; every browser's Accept becomes one, so a page is kept once, not per browser.
    if (req.http.Accept ~ "application/(vnd\.citationstyles\.csl\+json|x-bibtex|x-research-info-systems)") {
        return (pass);
    }
    if (req.http.Accept ~ "text/html") {
        set req.http.Accept = "text/html";
    }
    return (hash);
}

sub vcl_hit {
    # Past its stale-while-revalidate window an object is kept for stale-if-error only:
    # while the site answers, look it up again with no grace, which fetches a fresh copy.
    if (obj.ttl < 0s
        && obj.ttl + std.duration(obj.http.X-Grace-While-Healthy, 0s) < 0s
        && std.healthy(req.backend_hint)
        && req.restarts == 0) {
        set req.http.X-Fresh-Only = "1";
        return (restart);
    }
}

sub vcl_backend_response {
    # A refresh in the background that fails keeps the stale copy in place.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Kept only when the site says so: public, and no cookie set.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)\bpublic\b"
        || beresp.http.Cache-Control ~ "(?i)\b(private|no-store|no-cache)\b") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The ttl comes from s-maxage (Varnish reads it); the grace from stale-while-revalidate,
    # lengthened to stale-if-error, which vcl_hit grants only while the site is down.
    set beresp.http.X-Grace-While-Healthy = "0s";
    if (beresp.http.Cache-Control ~ "(?i)stale-while-revalidate=\d+") {
        set beresp.http.X-Grace-While-Healthy = regsub(beresp.http.Cache-Control,
            "(?i)^.*stale-while-revalidate=(\d+).*$", "\1s");
    }
    set beresp.grace = std.duration(beresp.http.X-Grace-While-Healthy, 0s);
    # Kept compressed, once, at fetch: readers' browsers ask for gzip, and a page is then
    # a quarter of the bytes to copy for every hit (Varnish unpacks it for a client that
    # does not ask).
    if (!beresp.http.Content-Encoding && beresp.http.Content-Type ~
        "(?i)^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript))") {
        set beresp.do_gzip = true;
    }
    if (beresp.http.Cache-Control ~ "(?i)stale-if-error=\d+") {
        set beresp.http.X-Grace-If-Down = regsub(beresp.http.Cache-Control,
            "(?i)^.*stale-if-error=(\d+).*$", "\1s");
        if (std.duration(beresp.http.X-Grace-If-Down, 0s) > beresp.grace) {
            set beresp.grace = std.duration(beresp.http.X-Grace-If-Down, 0s);
        }
        unset beresp.http.X-Grace-If-Down;
    }
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # Whether this answer came from the cache (the tests and the benchmark read it).
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # The tags and the grace are for this cache, not for readers.
    unset resp.http.xkey;
    unset resp.http.X-Grace-While-Healthy;
}

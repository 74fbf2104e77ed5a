#!/bin/sh
# Write the page from SITE_TITLE and SITE_MESSAGE (HTML-escaped), then serve it on :8080.
# The shell stays PID 1 and exits on SIGTERM (httpd as PID 1 would ignore it).
escape() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
title=$(escape "${SITE_TITLE:-Static web site}")
message=$(escape "${SITE_MESSAGE:-}")
mkdir -p /www
printf '<!doctype html>\n<html><head><meta charset="utf-8"><title>%s</title></head>\n<body><h1>%s</h1><p>%s</p></body></html>\n' \
  "$title" "$title" "$message" > /www/index.html
echo "static-site: serving '${SITE_TITLE}' on :8080"
trap 'exit 0' TERM
httpd -f -v -p 8080 -h /www &
wait

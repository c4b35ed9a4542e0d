import { RUN_STATUS_LIQUID } from './run-status.js';

/*
 * The plain-text part of the default run report, a Liquid template rendered with the `text`
 * kind. A reader of this part may have no links to click, so every URL is written out, inside angle
 * brackets: RFC 3986 Appendix C recommends `<URL>` to delimit a URL in plain text, and mail
 * clients that turn URLs into links stop at the bracket. Values that could hold a line break
 * (titles, names) have their line breaks turned into spaces and a commit shows only its first
 * line, so the labelled layout holds.
 *
 * Layout idiom: each optional line is `{%- if … %}` + newline + line + `{%- endif %}`, so a line
 * whose value is unknown leaves no blank line behind. A `{% comment %}` stops the `{%-` trim
 * where a blank line must stay.
 */
const BODY = `{{ status_emoji }} {{ run_title }}
{%- if github.repository != blank %}
{{ github.repository }}{% if github.run_number != blank %}, run #{{ github.run_number }}{% endif %}
{%- endif %}
{% comment %} The facts, one labelled line each. {% endcomment %}
{%- if github.repository != blank %}
Repository:   {{ github.repository }} <{{ github.server_url }}/{{ github.repository }}>
{%- endif %}
{%- if github.workflow != blank %}
Workflow:     {{ github.workflow }}
{%- if github.run_number != blank %}, run #{{ github.run_number }}{% endif %}
{%- if github.run_attempt != blank and github.run_attempt != '1' %} (attempt {{ github.run_attempt }}){% endif %}
{%- endif %}
{%- if github.job != blank %}
Job:          {{ github.job }}
{%- endif %}
{%- if github.head_ref != blank %}
Branch:       {{ github.head_ref }}{% if github.base_ref != blank %} -> {{ github.base_ref }}{% endif %}
{%- elsif github.ref_name != blank %}
{% if github.ref_type == 'tag' %}Tag:          {% else %}Branch:       {% endif %}{{ github.ref_name }}
{%- endif %}
{%- if github.short_sha != blank %}
Commit:       {{ github.short_sha }}{% if github.commit_url != blank %} <{{ github.commit_url }}>{% endif %}
{%- endif %}
{%- if github.actor != blank %}
Actor:        {{ github.actor }}
{%- if github.triggering_actor != blank and github.triggering_actor != github.actor %} (run by {{ github.triggering_actor }}){% endif %}
{%- endif %}
{%- if github.event_name != blank %}
Event:        {{ github.event_name }}
{%- endif %}
{%- if pull_number != blank %}
Pull request: #{{ pull_number }}
{%- if pull_title != blank %} {{ pull_title | replace: "\\r", "" | replace: "\\n", " " }}{% endif %}
{%- if github.pull_request_url != blank %}
              <{{ github.pull_request_url }}>
{%- endif %}
{%- endif %}
{%- if event.release.tag_name != blank %}
{%- if event.release.name != blank %}{% assign release_title = event.release.name %}{% else %}{% assign release_title = event.release.tag_name %}{% endif %}
Release:      {{ release_title | replace: "\\r", "" | replace: "\\n", " " }}
{%- unless release_title contains event.release.tag_name %} ({{ event.release.tag_name }}){% endunless %}
{%- if event.release.html_url != blank %}
              <{{ event.release.html_url }}>
{%- endif %}
{%- endif %}
`;

// GitHub's webhook can list thousands of commits; a notification shows the first twenty.
const COMMITS = `
{%- if event.commits.size > 0 %}

Commits ({{ event.commits.size }}){% if github.compare_url != blank %} <{{ github.compare_url }}>{% endif %}
{%- for commit in event.commits limit: 20 %}
- {% if commit.id != blank %}{{ commit.id | slice: 0, 7 }} {% endif %}
{%- if commit.message != blank %}{{ commit.message | strip | split: "\\n" | first | strip }}{% endif %}
{%- if commit.author.name != blank %} ({{ commit.author.name | replace: "\\r", "" | replace: "\\n", " " }}){% endif %}
{%- if commit.url != blank %}
  <{{ commit.url }}>
{%- endif %}
{%- endfor %}
{%- assign more_commits = event.commits.size | minus: 20 %}
{%- if more_commits > 0 %}
- and {{ more_commits }} more
{%- endif %}
{%- endif %}
`;

const LINK = `{%- if github.run_url != blank %}

View the run: <{{ github.run_url }}>
{%- endif %}
`;

/** The full plain-text report template: the status assignments, then the lines. */
export const RUN_REPORT_TEXT_TEMPLATE = RUN_STATUS_LIQUID + BODY + COMMITS + LINK;

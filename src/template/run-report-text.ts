import { RUN_STATUS_LIQUID } from './run-status.js';

/*
 * The plain-text part of the default run report, a Liquid template rendered with the `text`
 * kind. A reader of this part may have no links to click, so every URL is written out, inside
 * angle brackets: RFC 3986 Appendix C recommends `<URL>` to delimit a URL in plain text, and mail
 * clients that turn URLs into links stop at the bracket. A link from the payload is printed only
 * when `web_url` keeps it (an absolute http or https URL with nothing that could leave the
 * brackets or the line), the rule the HTML part's links follow too; the `github` links were held
 * to it when the context was built (context.ts). Values that could hold a line break (titles,
 * names) have their line breaks turned into spaces and a commit shows only its first line, so
 * the labelled layout holds. Every payload field goes through `of_type` first: a forged payload
 * can put an object where text belongs, and it must print nothing, not JSON.
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
{%- assign release_tag = event.release.tag_name | of_type: 'text' %}
{%- if release_tag != blank %}
{%- assign release_title = event.release.name | of_type: 'text' | default: release_tag %}
{%- assign release_url = event.release.html_url | web_url %}
Release:      {{ release_title | replace: "\\r", "" | replace: "\\n", " " }}
{%- unless release_title contains release_tag %} ({{ release_tag | replace: "\\r", "" | replace: "\\n", " " }}){% endunless %}
{%- if release_url != blank %}
              <{{ release_url }}>
{%- endif %}
{%- endif %}
`;

// The inputs of a manual run (workflow_dispatch), one `- name: value` line each. GitHub caps a
// workflow at a few dozen inputs of short text, but a forged payload can send any number of any
// length: the report shows twenty, each cut to a line's worth.
const INPUTS = `
{%- assign inputs = event.inputs | entries %}
{%- if inputs.size > 0 %}

Inputs ({{ inputs.size }})
{%- for input in inputs limit: 20 %}
{%- assign input_value = input[1] | of_type: 'text' | replace: "\\r", "" | replace: "\\n", " " | truncatechars: 200 %}
- {{ input[0] | replace: "\\r", "" | replace: "\\n", " " | truncatechars: 60 }}{% if input_value != blank %}: {{ input_value }}{% endif %}
{%- endfor %}
{%- assign more_inputs = inputs.size | minus: 20 %}
{%- if more_inputs > 0 %}
- and {{ more_inputs }} more
{%- endif %}
{%- endif %}
`;

// GitHub's webhook can list thousands of commits; a notification shows the first twenty. A
// commit's line joins what it has (short id, summary, author) with single spaces.
const COMMITS = `
{%- assign commits = event.commits | of_type: 'list' %}
{%- if commits.size > 0 %}

Commits ({{ commits.size }}){% if github.compare_url != blank %} <{{ github.compare_url }}>{% endif %}
{%- for commit in commits limit: 20 %}
{%- assign commit_url = commit.url | web_url %}
{%- assign commit_line = commit.id | of_type: 'text' | slice: 0, 7 | append: ' ' %}
{%- assign commit_summary = commit.message | of_type: 'text' | strip | split: "\\n" | first | strip %}
{%- assign commit_line = commit_line | append: commit_summary | strip %}
{%- assign commit_author = commit.author.name | of_type: 'text' | replace: "\\r", "" | replace: "\\n", " " %}
{%- if commit_author != blank %}{% assign commit_line = commit_line | append: ' (' | append: commit_author | append: ')' | strip %}{% endif %}
{%- if commit_line != blank or commit_url != blank %}
-{% if commit_line != blank %} {{ commit_line }}{% endif %}
{%- if commit_url != blank %}
  <{{ commit_url }}>
{%- endif %}
{%- endif %}
{%- endfor %}
{%- assign more_commits = commits.size | minus: 20 %}
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
export const RUN_REPORT_TEXT_TEMPLATE = RUN_STATUS_LIQUID + BODY + INPUTS + COMMITS + LINK;

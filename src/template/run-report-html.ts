import { RUN_STATUS_LIQUID } from './run-status.js';

/*
 * The HTML part of the default run report, as a Liquid template rendered with the `html` kind,
 * so the engine HTML-escapes every {{ }} output (a pull request title or commit message is text
 * anyone with a fork can write). It is plain Liquid a user can copy as a starting point. Payload
 * fields go through `of_type` and links through `web_url` (value-filters.ts), so a forged
 * payload's object prints nothing and its `javascript:` link shows as text, not as a link. The
 * `github` links were held to the same rule when the context was built (context.ts).
 *
 * Mail clients are not browsers: Gmail drops <style> blocks in many views and Outlook for Windows
 * lays out with Word, so the layout is nested tables with inline CSS only, a fixed 600px column
 * for Outlook (in an `[if mso]` table, since Word ignores max-width), no images, no script. The
 * button is a table cell painted with bgcolor holding a padded link ("bulletproof": Outlook keeps
 * the cell colour and `mso-padding-alt` where it drops the link's padding).
 */

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;";
const MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;";
const TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';
const LABEL =
  `style="${FONT}padding:6px 12px 6px 0;width:110px;` +
  'font-size:13px;line-height:20px;color:#57606a;vertical-align:top;"';
const VALUE_STYLE =
  `${FONT}padding:6px 0;font-size:14px;line-height:20px;` +
  'color:#1f2328;vertical-align:top;word-break:break-word;';
const VALUE = `style="${VALUE_STYLE}"`;
const LINK = 'style="color:#0969da;text-decoration:underline;"';
const CODE = `style="${MONO}font-size:13px;"`;
const MUTED = 'style="color:#57606a;"';

const HEAD = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>{{ status_emoji }} {{ run_title }}</title>
</head>
<body style="margin:0;padding:0;background-color:#f6f8fa;">
<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">
{%- if github.repository != blank %}{{ github.repository }}: {% endif %}{{ run_title }}
{%- if github.actor != blank %} ({{ github.actor }}){% endif -%}
</div>
<table ${TABLE} width="100%" style="background-color:#f6f8fa;">
<tr><td align="center" style="padding:24px 12px;">
<!--[if mso]><table ${TABLE} width="600" align="center"><tr><td><![endif]-->
<table ${TABLE} width="100%" style="max-width:600px;background-color:#ffffff;border:1px solid #d0d7de;border-radius:6px;">
<tr><td bgcolor="{{ status_colour }}" height="6" style="background-color:{{ status_colour }};height:6px;font-size:0;line-height:0;border-radius:6px 6px 0 0;">&nbsp;</td></tr>
<tr><td style="padding:24px 24px 8px 24px;">
<table ${TABLE}><tr><td bgcolor="{{ status_colour }}" style="${FONT}background-color:{{ status_colour }};border-radius:12px;padding:3px 10px;font-size:12px;line-height:16px;font-weight:600;color:#ffffff;text-transform:uppercase;letter-spacing:0.5px;">{{ status_word }}</td></tr></table>
<h1 style="${FONT}margin:12px 0 0 0;font-size:20px;line-height:28px;font-weight:600;color:#1f2328;">{{ run_title }}</h1>
{%- if github.repository != blank %}
<p style="${FONT}margin:4px 0 0 0;font-size:14px;line-height:20px;color:#57606a;">{{ github.repository }}
{%- if github.run_number != blank %} &middot; run #{{ github.run_number }}{% endif %}</p>
{%- endif %}
</td></tr>`;

const FACTS = `
<tr><td style="padding:8px 24px;">
<table ${TABLE} width="100%">
{%- if github.repository != blank %}
<tr><td ${LABEL}>Repository</td><td ${VALUE}><a href="{{ github.server_url }}/{{ github.repository }}" ${LINK}>{{ github.repository }}</a></td></tr>
{%- endif %}
{%- if github.workflow != blank %}
<tr><td ${LABEL}>Workflow</td><td ${VALUE}>{{ github.workflow }}
{%- if github.run_number != blank %}, run #{{ github.run_number }}{% endif %}
{%- if github.run_attempt != blank and github.run_attempt != '1' %} (attempt {{ github.run_attempt }}){% endif %}</td></tr>
{%- endif %}
{%- if github.job != blank %}
<tr><td ${LABEL}>Job</td><td ${VALUE}>{{ github.job }}</td></tr>
{%- endif %}
{%- if github.head_ref != blank %}
<tr><td ${LABEL}>Branch</td><td ${VALUE}><span ${CODE}>{{ github.head_ref }}</span>
{%- if github.base_ref != blank %} &rarr; <span ${CODE}>{{ github.base_ref }}</span>{% endif %}</td></tr>
{%- elsif github.ref_name != blank %}
<tr><td ${LABEL}>{% if github.ref_type == 'tag' %}Tag{% else %}Branch{% endif %}</td><td ${VALUE}><span ${CODE}>{{ github.ref_name }}</span></td></tr>
{%- endif %}
{%- if github.short_sha != blank %}
<tr><td ${LABEL}>Commit</td><td ${VALUE}>
{%- if github.commit_url != blank %}<a href="{{ github.commit_url }}" ${LINK}><span ${CODE}>{{ github.short_sha }}</span></a>
{%- else %}<span ${CODE}>{{ github.short_sha }}</span>{% endif %}</td></tr>
{%- endif %}
{%- if github.actor != blank %}
<tr><td ${LABEL}>Actor</td><td ${VALUE}>{{ github.actor }}
{%- if github.triggering_actor != blank and github.triggering_actor != github.actor %} <span ${MUTED}>(run by {{ github.triggering_actor }})</span>{% endif %}</td></tr>
{%- endif %}
{%- if github.event_name != blank %}
<tr><td ${LABEL}>Event</td><td ${VALUE}>{{ github.event_name }}</td></tr>
{%- endif %}
{%- if pull_number != blank %}
<tr><td ${LABEL}>Pull request</td><td ${VALUE}>
{%- if github.pull_request_url != blank %}<a href="{{ github.pull_request_url }}" ${LINK}>#{{ pull_number }}</a>
{%- else %}#{{ pull_number }}{% endif %}
{%- if pull_title != blank %} {{ pull_title }}{% endif %}</td></tr>
{%- endif %}
{%- assign release_tag = event.release.tag_name | of_type: 'text' %}
{%- if release_tag != blank %}
{%- assign release_title = event.release.name | of_type: 'text' | default: release_tag %}
{%- assign release_url = event.release.html_url | web_url %}
<tr><td ${LABEL}>Release</td><td ${VALUE}>
{%- if release_url != blank %}<a href="{{ release_url }}" ${LINK}>{{ release_title }}</a>
{%- else %}{{ release_title }}{% endif %}
{%- unless release_title contains release_tag %} <span ${MUTED}>({{ release_tag }})</span>{% endunless %}</td></tr>
{%- endif %}
</table>
</td></tr>`;

const SECTION_HEADING = `style="${FONT}margin:0 0 8px 0;font-size:16px;line-height:24px;font-weight:600;color:#1f2328;"`;
const ROW_TOP = 'border-top:1px solid #eaeef2;';

// The inputs of a manual run (workflow_dispatch), name and value. GitHub caps a workflow at a few
// dozen inputs of short text, but a forged payload can send any number of any length: the
// report shows twenty, each cut to a line's worth.
const INPUTS = `
{%- assign inputs = event.inputs | entries %}
{%- if inputs.size > 0 %}
<tr><td style="padding:16px 24px 0 24px;">
<h2 ${SECTION_HEADING}>Inputs ({{ inputs.size }})</h2>
<table ${TABLE} width="100%">
{%- for input in inputs limit: 20 %}
<tr><td style="${MONO}padding:6px 12px 6px 0;width:110px;font-size:13px;line-height:20px;color:#57606a;vertical-align:top;word-break:break-word;${ROW_TOP}">{{ input[0] | truncatechars: 60 }}</td>
<td style="${VALUE_STYLE}${ROW_TOP}">{{ input[1] | of_type: 'text' | truncatechars: 200 }}</td></tr>
{%- endfor %}
{%- assign more_inputs = inputs.size | minus: 20 %}
{%- if more_inputs > 0 %}
<tr><td colspan="2" ${VALUE}><span ${MUTED}>and {{ more_inputs }} more</span></td></tr>
{%- endif %}
</table>
</td></tr>
{%- endif %}`;

// GitHub's webhook can list thousands of commits; a notification shows the first twenty.
const COMMITS = `
{%- assign commits = event.commits | of_type: 'list' %}
{%- if commits.size > 0 %}
<tr><td style="padding:16px 24px 0 24px;">
<h2 ${SECTION_HEADING}>Commits ({{ commits.size }})
{%- if github.compare_url != blank %} <a href="{{ github.compare_url }}" style="${FONT}font-size:13px;font-weight:400;color:#0969da;text-decoration:underline;">compare</a>{% endif %}</h2>
<table ${TABLE} width="100%">
{%- for commit in commits limit: 20 %}
{%- assign commit_id = commit.id | of_type: 'text' | slice: 0, 7 %}
{%- assign commit_url = commit.url | web_url %}
{%- assign commit_summary = commit.message | of_type: 'text' | strip | split: "\\n" | first | strip %}
{%- assign commit_author = commit.author.name | of_type: 'text' %}
<tr><td style="padding:6px 12px 6px 0;width:70px;vertical-align:top;${ROW_TOP}">
{%- if commit_id != blank %}
{%- if commit_url != blank %}<a href="{{ commit_url }}" ${LINK}><span ${CODE}>{{ commit_id }}</span></a>
{%- else %}<span ${CODE}>{{ commit_id }}</span>{% endif %}
{%- endif %}</td>
<td style="${VALUE_STYLE}${ROW_TOP}">{{ commit_summary }}
{%- if commit_author != blank %} <span ${MUTED}>&mdash; {{ commit_author }}</span>{% endif %}</td></tr>
{%- endfor %}
{%- assign more_commits = commits.size | minus: 20 %}
{%- if more_commits > 0 %}
<tr><td colspan="2" ${VALUE}><span ${MUTED}>and {{ more_commits }} more</span></td></tr>
{%- endif %}
</table>
</td></tr>
{%- endif %}`;

const BUTTON = `
{%- if github.run_url != blank %}
<tr><td style="padding:24px;">
<table ${TABLE}><tr>
<td align="center" bgcolor="{{ status_colour }}" style="background-color:{{ status_colour }};border-radius:6px;mso-padding-alt:12px 22px;">
<a href="{{ github.run_url }}" target="_blank" style="${FONT}display:inline-block;padding:12px 22px;font-size:15px;line-height:20px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">View the run &rarr;</a>
</td></tr></table>
</td></tr>
{%- endif %}`;

const FOOT = `
</table>
<!--[if mso]></td></tr></table><![endif]-->
<p style="${FONT}margin:16px 0 0 0;font-size:12px;line-height:18px;color:#57606a;">Sent by smtp-notify from a GitHub Actions workflow.</p>
</td></tr>
</table>
</body>
</html>
`;

/** The full HTML report template: the status assignments, then the page. */
export const RUN_REPORT_HTML_TEMPLATE =
  RUN_STATUS_LIQUID + HEAD + FACTS + INPUTS + COMMITS + BUTTON + FOOT;

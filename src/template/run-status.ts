/**
 * The facts every default template (subject, HTML report, text report) derives from the context
 * before it prints anything, written as Liquid so a copied template stays self-contained.
 *
 * It assigns:
 * - `status_word`: passed | failed | cancelled | finished (anything else, including an empty
 *   status when the `status` input was not given),
 * - `status_emoji`: ✅ | ❌ | ⏹️ | ⚪,
 * - `status_colour`: a CSS colour that keeps white text readable (WCAG AA, 4.5:1 or better),
 * - `pull_number`, `pull_title`: the pull request the run is about (a pull_request event, or a
 *   comment on a pull request); blank when none, and a title is blank without a number,
 * - `run_where`: `PR #12` when there is a pull request, else the branch or tag name, else '',
 * - `workflow_name`: the workflow's name, or `Workflow` when unknown,
 * - `run_title`: `CI passed on main`, the line a reader sees first (subject, heading, preheader).
 *
 * Every read of `event` sits in an `{% if %}` guard or on the right of an `{% assign %}`: the
 * engine runs with strictVariables, and a run report must never fail because a payload lacks a
 * field (no event file, a schedule event). Each field goes through `of_type` (value-filters.ts):
 * a payload can be forged, and a title that is an object must print nothing, not JSON.
 */
export const RUN_STATUS_LIQUID = `{%- assign status_key = status | downcase | strip -%}
{%- case status_key -%}
  {%- when 'success' -%}
    {%- assign status_word = 'passed' -%}{%- assign status_emoji = '✅' -%}
    {%- assign status_colour = '#1a7f37' -%}
  {%- when 'failure' -%}
    {%- assign status_word = 'failed' -%}{%- assign status_emoji = '❌' -%}
    {%- assign status_colour = '#cf222e' -%}
  {%- when 'cancelled' -%}
    {%- assign status_word = 'cancelled' -%}{%- assign status_emoji = '⏹️' -%}
    {%- assign status_colour = '#6e7781' -%}
  {%- else -%}
    {%- assign status_word = 'finished' -%}{%- assign status_emoji = '⚪' -%}
    {%- assign status_colour = '#0969da' -%}
{%- endcase -%}
{%- assign pull_number = event.pull_request.number | of_type: 'text' -%}
{%- assign pull_title = event.pull_request.title | of_type: 'text' -%}
{%- if pull_number == blank and event.issue.pull_request != blank -%}
  {%- comment -%} issue_comment on a pull request: GitHub sends it as an issue. {%- endcomment -%}
  {%- assign pull_number = event.issue.number | of_type: 'text' -%}
  {%- assign pull_title = event.issue.title | of_type: 'text' -%}
{%- endif -%}
{%- if pull_number == blank -%}{%- assign pull_title = '' -%}{%- endif -%}
{%- assign run_where = '' -%}
{%- if pull_number != blank -%}
  {%- assign run_where = 'PR #' | append: pull_number -%}
{%- elsif github.ref_name != blank -%}
  {%- assign run_where = github.ref_name -%}
{%- endif -%}
{%- if github.workflow != blank -%}
  {%- assign workflow_name = github.workflow -%}
{%- else -%}
  {%- assign workflow_name = 'Workflow' -%}
{%- endif -%}
{%- assign run_title = workflow_name | append: ' ' | append: status_word -%}
{%- if run_where != blank -%}
  {%- assign run_title = run_title | append: ' on ' | append: run_where -%}
{%- endif -%}
`;

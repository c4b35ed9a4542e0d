// Entry point of the action bundle. The action itself (inputs, templates, delivery) is not
// built yet; until it is, running the bundle fails loudly instead of pretending to send mail.
process.stderr.write('smtp-notify: the action is not implemented yet; only the libraries exist.\n');
process.exitCode = 1;

// Deterministic terminal for every test: colour decisions must not depend on the CI machine.
delete process.env['NO_COLOR'];
process.env['FORCE_COLOR'] = '0';

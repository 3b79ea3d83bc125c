//! Checks the test server against the official libSQL client (to be written).

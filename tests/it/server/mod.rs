//! Hrana test server (to be written).

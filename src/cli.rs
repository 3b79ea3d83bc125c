//! The clap definition of the command line.

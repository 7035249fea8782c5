//! Hand-written invalid definitions, each with its exact pointer and code.

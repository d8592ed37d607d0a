//! Bayesian online change-point detection (Adams and MacKay, 2007) over a
//! weekly series.

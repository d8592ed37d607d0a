mod detectors;
mod vader;
mod validation;

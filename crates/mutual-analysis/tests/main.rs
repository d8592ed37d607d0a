mod detectors;
mod languages;
mod vader;
mod validation;

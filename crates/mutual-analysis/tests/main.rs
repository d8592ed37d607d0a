mod validation;
mod vader;

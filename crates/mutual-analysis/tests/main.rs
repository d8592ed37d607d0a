mod vader;
mod validation;

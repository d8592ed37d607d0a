mod vader;

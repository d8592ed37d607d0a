mod balance;
mod demo;
mod friend;
mod log;
mod safety;
mod today;

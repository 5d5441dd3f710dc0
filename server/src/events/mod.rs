//! Events (`contact.created`, `contact.picked`, …): written to the `events` table in
//! the transaction of the change (its id is the global `seq`), handed to the live feed
//! only after commit, and replayed to reconnecting sockets.

mod audience;
mod feed;
pub mod routes;
mod store;

pub use audience::Audience;
pub use feed::{Feed, RESYNC};
pub use store::{Draft, Event, record, record_many};

//! Layer 7, for tests, fuzzing and benchmarks: the platform in memory ([`memory`]), with fake
//! providers ([`delivery`]) and a fake application user service ([`user_service`]), and fault
//! injection over any platform ([`faults`]).

pub mod delivery;
pub mod faults;
pub mod memory;
pub mod user_service;

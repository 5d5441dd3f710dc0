//! A short two-note chime when a new contact arrives, for Sales who keep the board open
//! beside other work. Synthesised with Web Audio: no sound file to ship or fetch.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use web_sys::{AudioContext, AudioContextState, OscillatorType};

use crate::prefs::Pref;

/// The two notes (A5, E6) and how far apart they start, in seconds.
const NOTES: [f64; 2] = [880.0, 1318.5];
const NOTE_GAP: f64 = 0.12;
const NOTE_LENGTH: f64 = 0.3;
const VOLUME: f32 = 0.2;

thread_local! {
    // One context for the page: browsers cap how many may exist.
    static CONTEXT: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// Chimes for a new contact if the user switched the sound on.
pub fn new_contact() {
    if Pref::Sound.enabled() {
        chime();
    }
}

/// Plays the chime. Browsers keep audio suspended until the page has had a user
/// gesture; switching the sound on is one, so that first chime also unlocks it.
pub fn chime() {
    CONTEXT.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = AudioContext::new().ok();
        }
        let Some(context) = slot.as_ref() else {
            return;
        };
        if context.state() == AudioContextState::Suspended {
            let _ = context.resume();
        }
        // A failure only means no sound; the board itself is unaffected.
        let _ = play(context);
    });
}

fn play(context: &AudioContext) -> Result<(), JsValue> {
    let start = context.current_time();
    for (index, frequency) in NOTES.iter().enumerate() {
        let at = start + NOTE_GAP * index as f64;
        let oscillator = context.create_oscillator()?;
        oscillator.set_type(OscillatorType::Sine);
        oscillator.frequency().set_value(*frequency as f32);
        let gain = context.create_gain()?;
        // A quick rise and an exponential fade: a soft bell, not a click.
        gain.gain().set_value_at_time(0.0, at)?;
        gain.gain()
            .linear_ramp_to_value_at_time(VOLUME, at + 0.01)?;
        gain.gain()
            .exponential_ramp_to_value_at_time(0.001, at + NOTE_LENGTH)?;
        oscillator.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&context.destination())?;
        oscillator.start_with_when(at)?;
        oscillator.stop_with_when(at + NOTE_LENGTH)?;
    }
    Ok(())
}

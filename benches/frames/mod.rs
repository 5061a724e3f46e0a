//! What the frame benchmarks share: a headless egui window timed frame by frame, and the
//! summary of the frame times.

use std::time::{Duration, Instant};

/// The window the benchmarks draw in.
const SCREEN: egui::Vec2 = egui::vec2(1600.0, 1000.0);

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, 95th percentile and worst of `frames`.
pub fn stats(mut frames: Vec<Duration>) -> String {
    frames.sort();
    format!(
        "median {:.2} ms, p95 {:.2} ms, worst {:.2} ms over {} frames",
        ms(frames[frames.len() / 2]),
        ms(frames[frames.len() * 95 / 100]),
        ms(*frames.last().unwrap()),
        frames.len()
    )
}

/// A headless window: a context with the app's theme and a clock advanced one frame at a time.
pub struct Window {
    pub ctx: egui::Context,
    time: f64,
}

impl Window {
    pub fn new() -> Self {
        let ctx = egui::Context::default();
        localpost::ui::theme::install(&ctx);
        Self { ctx, time: 0.0 }
    }

    /// One frame with `events`; returns how long it took on the CPU.
    pub fn frame(&mut self, events: Vec<egui::Event>, mut draw: impl FnMut(&mut egui::Ui)) -> Duration {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        };
        let started = Instant::now();
        let output = self.ctx.run_ui(input, |ui| draw(ui));
        let _meshes = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        started.elapsed()
    }

    /// The floor of a frame benchmark: `n` frames of the same loop drawing a blank panel.
    pub fn blank_frames(&mut self, n: usize) -> Vec<Duration> {
        (0..n)
            .map(|_| {
                self.frame(Vec::new(), |ui| {
                    egui::CentralPanel::default().show(ui, |ui| ui.label("floor"));
                })
            })
            .collect()
    }
}

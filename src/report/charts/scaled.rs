//! Drawing a chart at a higher resolution than it is laid out in.
//!
//! Every chart is laid out in CSS pixels (1/96 inch, as its SVG file is). [`Scaled`] is a
//! drawing backend of that size that multiplies every coordinate, stroke width and radius on the
//! way to a bitmap `scale` times as large, so that `--dpi 300` gives the same chart with 3.125
//! times the pixels in each direction rather than a chart with smaller text. Text is drawn by the
//! bitmap itself at a font size scaled by the caller (the charts' text scale), and its measured
//! size is divided back into layout units.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// A backend of `size` layout units over `inner`, which is `scale` times as large in pixels.
pub struct Scaled<B> {
    inner: B,
    scale: f64,
    size: (u32, u32),
}

/// The bitmap's size in pixels for a layout of `size` units at `scale`.
pub fn pixels(size: (u32, u32), scale: f64) -> (u32, u32) {
    (
        (f64::from(size.0) * scale).round() as u32,
        (f64::from(size.1) * scale).round() as u32,
    )
}

impl<B: DrawingBackend> Scaled<B> {
    pub fn new(inner: B, scale: f64, size: (u32, u32)) -> Scaled<B> {
        Scaled { inner, scale, size }
    }

    /// A coordinate in pixels. Rounding the same layout coordinate always gives the same pixel,
    /// so shapes that touch in the layout (heatmap cells, stacked bars) touch in the bitmap.
    fn at(&self, (x, y): BackendCoord) -> BackendCoord {
        (
            (f64::from(x) * self.scale).round() as i32,
            (f64::from(y) * self.scale).round() as i32,
        )
    }

    /// A length in pixels, at least one.
    fn length(&self, units: u32) -> u32 {
        ((f64::from(units) * self.scale).round() as u32).max(1)
    }

    fn style<S: BackendStyle>(&self, style: &S) -> Stroke {
        Stroke {
            color: style.color(),
            width: if style.stroke_width() == 0 {
                0
            } else {
                self.length(style.stroke_width())
            },
        }
    }
}

/// A style's colour with its stroke width in pixels.
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

impl<B: DrawingBackend> DrawingBackend for Scaled<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (from, to) = (self.at(point), self.at((point.0 + 1, point.1 + 1)));
        self.inner.draw_rect(from, to, &color, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let stroke = self.style(style);
        self.inner.draw_line(self.at(from), self.at(to), &stroke)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let stroke = self.style(style);
        self.inner
            .draw_rect(self.at(upper_left), self.at(bottom_right), &stroke, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let stroke = self.style(style);
        let path: Vec<BackendCoord> = path.into_iter().map(|p| self.at(p)).collect();
        self.inner.draw_path(path, &stroke)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let stroke = self.style(style);
        self.inner
            .draw_circle(self.at(center), self.length(radius), &stroke, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let stroke = self.style(style);
        let vert: Vec<BackendCoord> = vert.into_iter().map(|p| self.at(p)).collect();
        self.inner.fill_polygon(vert, &stroke)
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, style, self.at(pos))
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let (w, h) = self.inner.estimate_text_size(text, style)?;
        let units = |pixels: u32| (f64::from(pixels) / self.scale).round() as u32;
        Ok((units(w), units(h)))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (w, h): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        // Nearest neighbour: each source pixel becomes a block of pixels.
        for y in 0..h {
            for x in 0..w {
                let i = (y * w + x) as usize * 3;
                let color = BackendColor {
                    alpha: 1.0,
                    rgb: (src[i], src[i + 1], src[i + 2]),
                };
                self.draw_pixel((pos.0 + x as i32, pos.1 + y as i32), color)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(
        scale: f64,
        size: (u32, u32),
        paint: impl Fn(&DrawingArea<Scaled<BitMapBackend<'_>>, plotters::coord::Shift>),
    ) -> Vec<u8> {
        let pixels = pixels(size, scale);
        let mut buffer = vec![0u8; pixels.0 as usize * pixels.1 as usize * 3];
        {
            let bitmap = BitMapBackend::with_buffer(&mut buffer, pixels);
            let root = Scaled::new(bitmap, scale, size).into_drawing_area();
            root.fill(&WHITE).unwrap();
            paint(&root);
            root.present().unwrap();
        }
        buffer
    }

    fn dark(pixels: &[u8]) -> usize {
        pixels.chunks(3).filter(|p| p[0] < 128).count()
    }

    // A filled square of 10 × 10 units covers 100 pixels at scale 1 and 900 at scale 3, and the
    // bitmap is three times as wide and as high.
    #[test]
    fn shapes_grow_with_the_scale() {
        let square = |root: &DrawingArea<Scaled<BitMapBackend<'_>>, _>| {
            root.draw(&Rectangle::new([(5, 5), (15, 15)], BLACK.filled()))
                .unwrap();
        };
        let one = draw(1.0, (40, 30), square);
        let three = draw(3.0, (40, 30), square);
        assert_eq!(one.len() * 9, three.len());
        assert_eq!(dark(&one), 100);
        assert_eq!(dark(&three), 900);
        // Two squares side by side leave no gap and do not overlap at a fractional scale.
        let two = |root: &DrawingArea<Scaled<BitMapBackend<'_>>, _>| {
            root.draw(&Rectangle::new([(0, 0), (7, 10)], BLACK.filled()))
                .unwrap();
            root.draw(&Rectangle::new([(7, 0), (20, 10)], BLACK.filled()))
                .unwrap();
        };
        let pixels = draw(1.5625, (20, 10), two);
        assert_eq!(dark(&pixels), 31 * 16);
    }

    // A line of width 2 units is 2 pixels wide at scale 1 and 6 at scale 3.
    #[test]
    fn strokes_grow_with_the_scale() {
        let line = |root: &DrawingArea<Scaled<BitMapBackend<'_>>, _>| {
            root.draw(&PathElement::new(
                vec![(0, 10), (40, 10)],
                Color::stroke_width(&BLACK, 2),
            ))
            .unwrap();
        };
        let width = |scale: f64| {
            let pixels = draw(scale, (40, 20), line);
            let (w, h) = ((40.0 * scale) as usize, (20.0 * scale) as usize);
            (0..h).filter(|y| pixels[(y * w + w / 2) * 3] < 128).count()
        };
        // plotters fills the line's polygon with both edges, so a line of w pixels covers w + 1
        // rows: 2 units at scale 1, 6 pixels at scale 3.
        assert_eq!((width(1.0), width(3.0)), (2 + 1, 6 + 1));
    }
}

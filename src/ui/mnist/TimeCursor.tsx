// The noise level at which real digits are noised and denoised in one call.
import { TimeSlider } from '../TimeSlider';

export function TimeCursor() {
  return <TimeSlider label="Noise level t" />;
}

import sharp from 'sharp'

// Pictures for the feedback-photo tests, shared by Vitest and Playwright.

/** A picture of things, no people: a few coloured blocks on a plain background (PNG). */
export async function objectsPhoto(): Promise<Buffer> {
  const block = (color: string) =>
    sharp({ create: { width: 160, height: 120, channels: 3, background: color } })
      .png()
      .toBuffer()
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#e8e0d0' } })
    .composite([
      { input: await block('#3366aa'), left: 80, top: 100 },
      { input: await block('#aa3333'), left: 400, top: 300 },
    ])
    .png()
    .toBuffer()
}

/** A photo with faces that ships inside face-api's package (three adults; decision 022). */
export const FACE_IMAGE = 'node_modules/@vladmandic/face-api/demo/sample1.jpg'

/**
 * The camera and microphone this page publishes, chosen on the pre-join screen: opened once,
 * switched with `replaceTrack` when another device is picked, and muted by disabling the track
 * (the microphone sends silence) or, for the camera, by stopping capture so its light goes off.
 */
export class LocalMedia {
  readonly stream = new MediaStream();
  private microphone: MediaStreamTrack | null = null;
  private camera: MediaStreamTrack | null = null;

  /**
   * Opens the chosen devices (or the defaults); with one of them missing or refused, the other
   * alone (a laptop without a camera still joins with its microphone). Throws when neither opens.
   */
  async open(microphoneId?: string, cameraId?: string): Promise<void> {
    const audio: MediaTrackConstraints | boolean = microphoneId ? { deviceId: { exact: microphoneId } } : true;
    const video: MediaTrackConstraints = cameraId ? { deviceId: { exact: cameraId }, width: 1280, height: 720 }
      : { width: 1280, height: 720 };
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio, video });
    } catch (both) {
      media = await navigator.mediaDevices.getUserMedia({ audio })
        .catch(() => navigator.mediaDevices.getUserMedia({ video }))
        .catch(() => { throw both; });
    }
    this.replace('audio', media.getAudioTracks()[0] ?? null);
    this.replace('video', media.getVideoTracks()[0] ?? null);
  }

  get microphoneTrack(): MediaStreamTrack | null {
    return this.microphone;
  }

  get cameraTrack(): MediaStreamTrack | null {
    return this.camera;
  }

  /** Opens another device of {@code kind}; returns its track for the sender's `replaceTrack`. */
  async switchTo(kind: 'audio' | 'video', deviceId: string): Promise<MediaStreamTrack | null> {
    const media = await navigator.mediaDevices.getUserMedia(kind === 'audio'
      ? { audio: { deviceId: { exact: deviceId } } }
      : { video: { deviceId: { exact: deviceId }, width: 1280, height: 720 } });
    const track = (kind === 'audio' ? media.getAudioTracks() : media.getVideoTracks())[0] ?? null;
    this.replace(kind, track);
    return track;
  }

  setMicrophone(on: boolean): void {
    if (this.microphone) {
      this.microphone.enabled = on;
    }
  }

  /** Camera off stops capture; on opens the device again. Returns the track to send (null: none). */
  async setCamera(on: boolean, cameraId?: string): Promise<MediaStreamTrack | null> {
    if (!on) {
      this.replace('video', null);
      return null;
    }
    const media = await navigator.mediaDevices.getUserMedia({
      video: cameraId ? { deviceId: { exact: cameraId }, width: 1280, height: 720 } : { width: 1280, height: 720 },
    });
    const track = media.getVideoTracks()[0] ?? null;
    this.replace('video', track);
    return track;
  }

  close(): void {
    this.replace('audio', null);
    this.replace('video', null);
  }

  private replace(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    const old = kind === 'audio' ? this.microphone : this.camera;
    if (old) {
      old.stop();
      this.stream.removeTrack(old);
    }
    if (track) {
      this.stream.addTrack(track);
    }
    if (kind === 'audio') {
      this.microphone = track;
    } else {
      this.camera = track;
    }
  }
}

/** The devices a pre-join screen offers (labels appear once the user has granted access). */
export async function listDevices(): Promise<{ microphones: MediaDeviceInfo[]; cameras: MediaDeviceInfo[] }> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    microphones: devices.filter((device) => device.kind === 'audioinput'),
    cameras: devices.filter((device) => device.kind === 'videoinput'),
  };
}

// One video with its caption. Local previews are mirrored and muted; remote audio plays through a
// separate <audio> element so a muted or hidden video never silences a person.
import { useEffect, useRef } from 'react';

export type VideoTileProps = {
	label: string;
	video: MediaStreamTrack | undefined;
	audio?: MediaStreamTrack | undefined;
	mirrored?: boolean;
	placeholder?: string;
	testId?: string;
	large?: boolean;
};

export function VideoTile({ label, video, audio, mirrored = false, placeholder, testId, large = false }: VideoTileProps) {
	const videoRef = useRef<HTMLVideoElement>(null);
	const audioRef = useRef<HTMLAudioElement>(null);

	useEffect(() => {
		const element = videoRef.current;
		if (element) element.srcObject = video ? new MediaStream([video]) : null;
	}, [video]);

	useEffect(() => {
		const element = audioRef.current;
		if (element) element.srcObject = audio ? new MediaStream([audio]) : null;
	}, [audio]);

	return (
		<figure className={`video-tile${large ? ' video-tile--large' : ''}`} data-testid={testId}>
			<video ref={videoRef} autoPlay playsInline muted aria-label={label} className={mirrored ? 'mirrored' : undefined} />
			{/* biome-ignore lint/a11y/useMediaCaption: live WebRTC audio has no caption track; the call's words reach deaf participants as on-screen prompts and chat */}
			{audio ? <audio ref={audioRef} autoPlay /> : null}
			{!video && placeholder ? <p className="video-placeholder">{placeholder}</p> : null}
			<figcaption>{label}</figcaption>
		</figure>
	);
}

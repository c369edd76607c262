import { AfterCall, CallView, Joining } from './CallView';
import { Page, Spinner } from './components';
import { Header } from './Header';
import { Home } from './Home';
import type { AppModel } from './model';
import { PreJoin } from './PreJoin';

/** The root: picks the screen from the stage (in a call or not) and the route. */
export function App({ model }: { model: AppModel }) {
  const config = model.config.value;
  const loadError = model.loadError.value;
  const stage = model.stage.value;
  const route = model.route.value;

  if (loadError) {
    return (
      <Page header={<Header model={model} showAccount={false} />}>
        <div class="card center-card">
          <h1>Parley can’t be reached</h1>
          <p class="muted">{loadError}</p>
          <button type="button" class="button primary" onClick={() => void model.start()}>Try again</button>
        </div>
      </Page>
    );
  }
  if (!config) {
    return <div class="loading"><Spinner label="Loading Parley" /></div>;
  }
  if (stage.kind === 'call') {
    return <CallView model={model} call={stage.call} roomId={stage.roomId} />;
  }
  if (stage.kind === 'joining') {
    return <Joining model={model} />;
  }
  if (stage.kind === 'failed') {
    return <AfterCall model={model} phase="failed" error={stage.message} roomId={stage.roomId} />;
  }
  switch (route.name) {
    case 'home':
      return <Home model={model} />;
    case 'join':
      return <PreJoin key={`join-${route.code}`} model={model} mode={{ kind: 'invite', code: route.code }} />;
    case 'room':
      return <PreJoin key={`room-${route.roomId}-${model.user.value?.displayName ?? ''}`} model={model}
        mode={{ kind: 'room', roomId: route.roomId }} autoJoin={stage.autoJoin} />;
    case 'not-found':
      return (
        <Page header={<Header model={model} />}>
          <div class="card center-card">
            <h1>This link doesn’t work</h1>
            <p class="muted">Check that you copied the whole invite link, or ask the host for a new one.</p>
            <button type="button" class="button primary" onClick={() => model.home()}>Go to the home screen</button>
          </div>
        </Page>
      );
  }
}

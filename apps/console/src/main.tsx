import { render } from 'preact';
import { App } from './app';
import { registerServiceWorker } from './offline/pwa';
import './style.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
